package org.kohsuke.accmod;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Compile-only stub of org.kohsuke.accmod.Restricted from org.kohsuke:access-modifier-annotation 1.35 (as used by jenkins-core 2.541.3): runtime retention, as
 * the real one, so the restricted-use scan of jenkins-api-check reads it from the stubs' class files. The real one is
 * also {@code @Indexed} (annotation-indexer), which only the real access-modifier-checker needs.
 */
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Restricted {
    Class<? extends AccessRestriction>[] value();
}
