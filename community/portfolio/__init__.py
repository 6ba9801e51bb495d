"""The teacher's portfolio (портфолио педагога): what a teacher chooses to show of their verified
documents, on one page and in one PDF for attestation. Pupils have none."""
