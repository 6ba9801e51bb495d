"""factory_boy factories, one module per room; they flush, the test or service commits."""
