"""Command-line helpers around Terraform: provider mirror, validate, local emulator runs."""
