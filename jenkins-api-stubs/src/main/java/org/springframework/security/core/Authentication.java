package org.springframework.security.core;

import java.io.Serializable;
import java.security.Principal;

/** Compile-only stub of org.springframework.security.core.Authentication from org.springframework.security:spring-security-core 6.5.7 (as used by jenkins-core 2.541.3): only the signatures the plugin calls. */
public interface Authentication extends Principal, Serializable {
}
