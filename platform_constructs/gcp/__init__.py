"""The GCP kit: VPC network and GKE cluster constructs (hashicorp/google 6.50.0, no google-beta)."""
