package io.camelpowerbi.sandbox;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A configuration record changed one component at a time, the component named by its accessor:
 * {@code SandboxConfig.defaults().with(SandboxConfig::stateDir, dir)}. The copy goes through the canonical
 * constructor, so it is checked as a loaded configuration is; a setting is declared once, as a record component,
 * with no wither or builder method of its own.
 *
 * <p>The accessor is recognised from the method reference itself ({@link SerializedLambda}, as Spring Data's
 * {@code TypedPropertyPath} does), so {@code with(SandboxConfig::port, 8443)} is checked by the compiler for the type
 * of its value.
 *
 * @param <R> the record implementing it
 */
public interface Copyable<R extends Record & Copyable<R>> {

    /** An accessor of a record component, written as a method reference: {@code SandboxConfig::port}. */
    @FunctionalInterface
    interface Component<R, T> extends Function<R, T>, Serializable {}

    /** This record with {@code component} set to {@code value}; an invalid value is an IllegalArgumentException. */
    @SuppressWarnings("unchecked")
    default <T> R with(Component<R, T> component, T value) {
        Class<?> type = getClass();
        String name = nameOf(component, type);
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getName().equals(name)
                        ? value
                        : components[i].getAccessor().invoke(this);
            }
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return (R) canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalArgumentException e) {
            // only a null for a primitive component gets here: the compiler has checked the type
            throw new IllegalArgumentException(type.getSimpleName() + "." + name + " cannot be null", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name of the component {@code component} reads; it must be a method reference to an accessor of {@code type}. */
    private static String nameOf(Component<?, ?> component, Class<?> type) {
        String name;
        try {
            Method writeReplace = component.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            name = ((SerializedLambda) writeReplace.invoke(component)).getImplMethodName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "with(...) takes a method reference to an accessor of " + type.getSimpleName(), e);
        }
        if (Arrays.stream(type.getRecordComponents())
                .noneMatch(rc -> rc.getName().equals(name))) {
            throw new IllegalArgumentException("with(...) takes a method reference to an accessor of "
                    + type.getSimpleName() + " such as " + type.getSimpleName() + "::"
                    + type.getRecordComponents()[0].getName() + ", not a lambda or another method");
        }
        return name;
    }
}
