"""Grip's shared pages: the home page (`home`), child search and the child's record (`children`),
and the service navigation shown on every page (`navigation`). Recording a step of a child's case
is grip.recording's. Their URLs are grip.web.urls's; they render with the page toolkit (grip.web.toolkit).
"""
