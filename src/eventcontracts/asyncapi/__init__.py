"""AsyncAPI 3.0: a registry's sources exported as AsyncAPI documents (``export``), and AsyncAPI
documents imported into the registry layout (``importing``). The names both agree on are in
:mod:`eventcontracts.asyncapi.names`."""
