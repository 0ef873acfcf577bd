"""Domain computations shared by the rules and the views."""
