// library sources come with the runner issue
