// replaced by the protocol core
