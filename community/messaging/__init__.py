"""Direct messages between signed-in members, one to one, with blocking and reporting. Pupils write
only to their teachers, organisers and jurors of their contests."""
