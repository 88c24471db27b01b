import { useEffect, useRef } from "react";

const TONES = {
  success: "border-green-300 bg-green-50 text-green-900",
  info: "border-sky-300 bg-sky-50 text-sky-900",
  error: "border-red-300 bg-red-50 text-red-900",
};

export function FlashBanner({ flash }: { flash: { kind: keyof typeof TONES; message: string } | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (flash) ref.current?.focus();
  }, [flash]);
  if (!flash) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={flash.kind === "error" ? "alert" : "status"}
      className={`mb-6 rounded-md border p-4 text-sm font-medium ${TONES[flash.kind]}`}
    >
      {flash.message}
    </div>
  );
}
