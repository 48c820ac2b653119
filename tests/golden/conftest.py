# The frozen generated programs are lint inputs, never tests.
collect_ignore_glob = ["generated/*"]
