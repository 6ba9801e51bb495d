"""Forums wherever people work together: the network, an association, a course, a contest (and its
stages or divisions). A forum inherits who may read and write from its place."""
