"""What operators do on the admin pages, one module per page; every entry first checks that the actor is an operator."""
