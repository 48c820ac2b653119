"""Shared pieces of the oracle's stand-in packages (tiny nets, the torch.hub registry, synthetic
data). Lives on sys.path only inside the oracle's worker processes."""
