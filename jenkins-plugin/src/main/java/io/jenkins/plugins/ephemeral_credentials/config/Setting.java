package io.jenkins.plugins.ephemeral_credentials.config;

/**
 * The numeric settings of the global configuration, each with its form field and range, so that a value out of range
 * is reported against the field at fault, whether it came from the form, Configuration as Code or a setter.
 */
enum Setting {
    TOKEN_LIFETIME_MINUTES("tokenLifetimeMinutes", 1, 60),
    ROTATION_DAYS("rotationDays", 1, 365),
    KEY_OVERLAP_HOURS("keyOverlapHours", 2, 24 * 30);

    /** The form field, the JCasC key and the property name: one name. */
    final String field;
    final int min;
    final int max;

    Setting(String field, int min, int max) {
        this.field = field;
        this.min = min;
        this.max = max;
    }

    /** @throws IllegalArgumentException naming the field, its range and the value */
    int check(int value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(Messages.Setting_OutOfRange(field, String.valueOf(min),
                    String.valueOf(max), String.valueOf(value)));
        }
        return value;
    }

    /**
     * The value a form submitted for the field.
     *
     * @throws IllegalArgumentException naming the field when the value is missing, not a whole number, or out of range
     */
    int parse(String submitted) {
        String text = submitted == null ? "" : submitted.strip();
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            // Quoted back shortened: a form field is not the place for a long paste, and not a secret either.
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new IllegalArgumentException(Messages.Setting_NotANumber(field, String.valueOf(min),
                    String.valueOf(max), shown), e);
        }
        return check(value);
    }
}
