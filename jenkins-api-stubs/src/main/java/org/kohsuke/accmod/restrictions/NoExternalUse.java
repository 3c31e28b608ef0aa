package org.kohsuke.accmod.restrictions;

/** Compile-only stub of org.kohsuke.accmod.restrictions.NoExternalUse from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): usable inside its own module only. */
public class NoExternalUse extends DoNotUse {
}
