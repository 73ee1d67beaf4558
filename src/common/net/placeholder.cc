// replaced by the network adapters
