"""Page kinds. What they share (line preparation, grammar loading, error recovery, telling a
text's kind) lives here; each kind is one folder: vocabulary, transformer, assembly, renderer."""
