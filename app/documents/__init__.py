"""The certificate family: every verifiable document (course certificate, contest diploma,
participation, jury, publication and event certificates) is one `Paper` drawn by one layout and
delivered by one download response; /verify reads the same `Paper`, so the page and the paper agree."""
