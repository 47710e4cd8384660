"""For development and the demo only: the synthetic sample province, sample report files, and the
README's generated references. Nothing a user's command needs imports this package (a test checks)."""
