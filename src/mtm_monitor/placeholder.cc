// library sources come with the mtm_monitor issue
