"""Domain computations that rules and views both need: objective state, history, changes, alignment."""
