import { Link, useNavigation, type LinkProps } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-brand-700 text-white hover:bg-brand-800 disabled:bg-slate-400",
  secondary: "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
  ghost: "text-brand-700 hover:bg-brand-50",
};

export function buttonClass(variant: Variant = "primary", extra = "") {
  return `inline-flex min-h-11 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold no-underline hover:no-underline disabled:cursor-not-allowed ${VARIANTS[variant]} ${extra}`;
}

export function Button({
  variant = "primary",
  className = "",
  pending,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; pending?: boolean }) {
  return (
    <button {...props} className={buttonClass(variant, className)} disabled={props.disabled || pending} aria-busy={pending || undefined}>
      {children}
    </button>
  );
}

export function ButtonLink({ variant = "primary", className = "", ...props }: LinkProps & { variant?: Variant }) {
  return <Link {...props} className={buttonClass(variant, className)} />;
}

/**
 * The end of a form: its one action, busy while the form is being sent, and the way back without
 * saving. A long form sets the row apart with `className`.
 */
export function SubmitOrCancel({
  children,
  cancelTo,
  pending,
  className = "flex flex-wrap gap-3",
}: {
  children: ReactNode;
  cancelTo: string;
  /** Busy while this form is sent; by default while any form on the page is. */
  pending?: boolean;
  className?: string;
}) {
  const navigation = useNavigation();
  return (
    <div className={className}>
      <Button type="submit" pending={pending ?? navigation.state === "submitting"}>
        {children}
      </Button>
      <ButtonLink to={cancelTo} variant="secondary">
        Cancel
      </ButtonLink>
    </div>
  );
}
