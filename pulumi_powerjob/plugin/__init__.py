"""Face 2: the provider plugin ``pulumi-resource-powerjob`` for programs in any language.

``main`` starts the gRPC server, ``provider`` adapts the engine's calls to the dynamic
providers' methods, ``resources`` lists the resource types, ``schema`` generates the package
schema from the spec models, ``config`` maps provider config to the providers' stack config.
"""
