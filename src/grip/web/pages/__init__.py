"""Grip's shared pages: the home page (`home`), child search and the child's record (`children`),
the steps of a child's open case (`case_steps`), and the service navigation shown on every page
(`navigation`). Their URLs are grip.web.urls's; they render with the page toolkit (grip.web.toolkit).
"""
