/* Swagger UI plugins for the API documentation (/api/docs/), named in SWAGGER_UI_SETTINGS. */
"use strict";

/* An operation's summary is one button that opens it; with deep linking, Swagger UI puts a
   link to the operation inside that button, and a control inside a control is announced
   ambiguously (axe: nested-interactive). The path is shown as text: the address still
   follows the opened operation, as deep linking does. */
const onlyTheButtonOpensAnOperation = () => ({
  wrapComponents: {
    OperationSummaryPath: (Original, system) => (props) =>
      system.React.createElement(Original, {
        ...props,
        operationProps: props.operationProps.set("isDeepLinkingEnabled", false),
      }),
  },
});

/* A parameter's controls (a <select> for a closed set of values, text boxes otherwise) have
   no name of their own: give them the parameter's. The name is set on the rendered controls
   each time the parameter renders, as Swagger UI's <select> takes no attributes. */
const nameControls = (name) => (node) => {
  if (node && name) {
    node.querySelectorAll("select, input, textarea").forEach((control) => {
      control.setAttribute("aria-label", name);
    });
  }
};
const controlsNamedByTheirParameter = () => ({
  wrapComponents: {
    JsonSchemaForm: (Original, system) => (props) =>
      system.React.createElement(
        "div",
        { className: "parameter__controls", ref: nameControls(props.description) },
        system.React.createElement(Original, props),
      ),
    ExamplesSelect: (Original, system) => (props) =>
      system.React.createElement(
        "div",
        { ref: nameControls("Examples") },
        system.React.createElement(Original, props),
      ),
  },
});

/* Swagger UI puts its operations in a <main>, and the title, the description and the
   Authorize button before it in no landmark at all: give them one each. */
const landmark = (name) => (Original, system) => (props) =>
  system.React.createElement(
    "section",
    { "aria-label": name },
    system.React.createElement(Original, props),
  );
const everythingInALandmark = () => ({
  wrapComponents: {
    InfoContainer: landmark("About the API"),
    AuthorizeBtnContainer: landmark("Authorisation"),
  },
});

window.apiDocsPlugins = [
  onlyTheButtonOpensAnOperation,
  controlsNamedByTheirParameter,
  everythingInALandmark,
];
