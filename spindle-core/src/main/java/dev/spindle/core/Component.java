package dev.spindle.core;

import java.util.List;
import java.util.Set;

/** A named set of tools, and the capabilities they need. */
public interface Component {
    String name();

    String description();

    List<Tool> tools();

    Set<Capability> capabilities();
}
