"""The development identity provider (devidp): a real OpenID Connect provider on django-oauth-toolkit that
stands in for Latvia's national identity provider in the demo and in tests (ADR 0006).

Installed and routed only by `onedoor.settings.demo` and `onedoor.settings.test`; production never has it.
"""
