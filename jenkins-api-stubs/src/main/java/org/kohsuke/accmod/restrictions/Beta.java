package org.kohsuke.accmod.restrictions;

/** Compile-only stub of org.kohsuke.accmod.restrictions.Beta from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): usable only by a plugin that sets {@code useBeta}. */
public class Beta extends DoNotUse {
}
