package org.kohsuke.accmod;

/** Compile-only stub of org.kohsuke.accmod.AccessRestriction from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): the type only; the checks are jenkins-api-check's. */
public abstract class AccessRestriction {
}
