// library sources come with the kite_sim issue
