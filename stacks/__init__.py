"""Cloud-neutral stack classes, one per layer and deploy cycle."""
