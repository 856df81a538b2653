"""Face 1: the Pulumi dynamic providers, thin adapters over ``pulumi_powerjob.reconcile``."""
