"""The read side of the network: summary tables filled by the tick job from every other room, the
reports by institution, district and academic year built on them, their charts and exports. It reads
the other rooms and writes only its own tables; nothing but the web imports it."""
