"""IAM's state for one account: roles, instance profiles, managed and inline policies."""
