"""Every SQL statement, the migrations and the content-addressed file store."""
