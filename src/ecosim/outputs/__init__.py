"""What a run reports: the recorder and the files written from it."""
