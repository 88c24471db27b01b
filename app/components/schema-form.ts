import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

type FormShape = Record<string, unknown>;
type FormOptions<Input extends FormShape, Output> = Omit<Parameters<typeof useForm<Input, Output>>[0], "constraint" | "onValidate">;

/**
 * A form checked in the browser by the same schema the action checks, so it behaves the same with
 * and without JavaScript. A field is checked when the person leaves it and again as they correct it;
 * a form that should stay quiet until sent says `shouldValidate: "onSubmit"`.
 */
export function useSchemaForm<Output, Input extends FormShape>(schema: z.ZodType<Output, Input>, options: FormOptions<Input, Output>) {
  return useForm<Input, Output>({
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    ...options,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}
