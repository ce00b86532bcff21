"""The admin pages, one module per page; layout.py holds the tabs above them and the pieces they share."""
