// placeholder: replaced by the http/inventory work
