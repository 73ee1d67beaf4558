// library sources come with the ltp_subscriber issue
