"""TypeScript code generation: the same typed contract for Node.js services."""
