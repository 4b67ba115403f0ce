// Entry point of the `problab` command (placeholder until the CLI layer lands).
return 0;
