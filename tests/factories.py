"""Accounts and API tokens as the tests make them: one way to build each, with factory-boy.

The shared fixtures in tests/conftest.py (`editor`, `viewer`, `token_holder`, `token`) use these;
a test calls a factory itself only when it needs someone else: a superuser, a second editor, an
account it signs in to with a password.
"""

import factory
from django.contrib.auth.models import Group, User
from factory.django import DjangoModelFactory, Password
from rest_framework.authtoken.models import Token

PASSWORD = "a long editor password"


def in_groups(*default: str):
    """The account's groups, by name (the roles' migrations make Editor and Viewer):
    `UserFactory(groups=["Viewer"])`, or the factory's own default."""

    @factory.post_generation
    def groups(user, create, names, **kwargs):
        for name in default if names is None else names:
            user.groups.add(Group.objects.get(name=name))

    return groups


class UserFactory(DjangoModelFactory):
    """An active account in no group, without a password to sign in with unless given one."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user-{n}")
    password = Password(None)
    groups = in_groups()


class EditorFactory(UserFactory):
    """Staff of the Editor group: they keep the records in admin."""

    username = factory.Sequence(lambda n: f"editor-{n}")
    is_staff = True
    groups = in_groups("Editor")


class ViewerFactory(UserFactory):
    """Staff of the Viewer group: they read admin and export, and change nothing."""

    username = factory.Sequence(lambda n: f"viewer-{n}")
    is_staff = True
    groups = in_groups("Viewer")


class TokenFactory(DjangoModelFactory):
    """An API token of a funder's active account (in no group: any token sees addresses)."""

    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"funder-{n}"))
