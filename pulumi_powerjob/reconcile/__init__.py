"""The engine-agnostic core: from a declared spec and the server's state to calls.

Specs, plans (diffs), applying each call at most once, settling a lost answer by reads, and
the listings an operation shares. Nothing here imports ``pulumi``: the dynamic providers
(``providers/``) and the plugin are faces over it. Arrows run faces -> reconcile -> client.
"""
