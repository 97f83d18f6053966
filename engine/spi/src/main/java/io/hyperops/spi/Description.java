package io.hyperops.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says what a setting means, on a component of a settings record. The configuration reference in
 * {@code docs/configuration.md} is generated from these, so it cannot drift from the code.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Description
{
    String value();
}
