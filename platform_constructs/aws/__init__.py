"""The AWS kit: VPC network and EKS cluster constructs (hashicorp/aws 5.100.0)."""
