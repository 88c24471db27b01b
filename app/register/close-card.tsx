import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { useState, useSyncExternalStore } from "react";
import { Button, buttonClass } from "#app/components/button.tsx";
import { Card } from "#app/components/layout.tsx";
import { formatDateTime } from "#app/utils/dates.ts";
import { registerPath } from "./paths.ts";

/** Has the phone's clock look again every half minute. */
function everyHalfMinute(onChange: () => void) {
  const timer = window.setInterval(onChange, 30_000);
  return () => window.clearInterval(timer);
}

/**
 * Closing the register: offered from when it may be closed (by the server's clock or the phone's),
 * only once every change is saved, and only after a confirmation that says who will be recorded absent.
 */
export function CloseCard(props: {
  sessionId: number;
  pending: number;
  present: number;
  notYet: number;
  closableFrom: string;
  closableFromText: string;
  closableNow: boolean;
  hydrated: boolean;
  booked: boolean;
  headCount: number | null;
}) {
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);
  // Without JavaScript, "Close the register…" is a link to this page asking for the confirmation.
  const [searchParams] = useSearchParams();
  const [askedWithoutScript, setAskedWithoutScript] = useState(() => searchParams.get("confirm") === "close");
  const reachedOnThisPhone = useSyncExternalStore(
    everyHalfMinute,
    () => Date.now() >= Date.parse(props.closableFrom),
    () => false,
  );
  // The server's word at load time counts too, in case the phone's clock is behind.
  const closableNow = props.closableNow || reachedOnThisPhone;
  const open = confirming || askedWithoutScript;
  return (
    <Card className="mb-4">
      <h2 className="mb-1 text-lg font-semibold text-slate-900">Close the register</h2>
      <p className="mb-3 text-sm text-slate-700">
        When everyone is in, close the register. The session is marked delivered, people not marked present are recorded as absent, and everyone present with an
        email gets a feedback link.
      </p>
      {!closableNow ? (
        <p className="text-sm font-medium text-slate-800">
          The session has not started yet. You can close the register from {props.closableFromText}, when it starts.
        </p>
      ) : props.pending > 0 ? (
        <p className="text-sm font-medium text-amber-900">Wait until all changes are saved before closing the register.</p>
      ) : !open ? (
        <a
          href={`${registerPath(props.sessionId)}?confirm=close`}
          className={buttonClass("primary", "w-full sm:w-auto")}
          onClick={(e) => {
            if (!props.hydrated) return;
            e.preventDefault();
            setConfirming(true);
          }}
        >
          Close the register…
        </a>
      ) : (
        <div role="group" aria-labelledby="confirm-close" className="rounded-md border border-amber-300 bg-amber-50 p-4">
          <p id="confirm-close" className="font-semibold text-amber-950">
            Close the register now?
          </p>
          <p className="mt-1 text-sm text-amber-950">
            {props.present} present{props.notYet > 0 ? `; ${props.notYet} not marked will be recorded as absent` : ""}.
            {props.booked && props.headCount === null ? " No head count has been recorded." : ""} You cannot change the register afterwards.
          </p>
          <Form method="post" className="mt-3 flex flex-wrap gap-3">
            <input type="hidden" name="intent" value="close" />
            <Button type="submit" pending={navigation.state === "submitting"}>
              Yes, close the register
            </Button>
            <a
              href={registerPath(props.sessionId)}
              className={buttonClass("secondary")}
              onClick={(e) => {
                if (!props.hydrated) return;
                e.preventDefault();
                setConfirming(false);
                setAskedWithoutScript(false);
              }}
            >
              Not yet
            </a>
          </Form>
        </div>
      )}
    </Card>
  );
}

/** What a closed register recorded, and the QR code for feedback in the room. */
export function ClosedSummary(props: {
  sessionId: number;
  closedAt: string;
  present: number;
  absent: number;
  feedbackRequests: number;
  headCount: number | null;
}) {
  return (
    <Card className="mb-4">
      <h2 className="text-lg font-semibold text-slate-900">Register closed</h2>
      <p className="mt-1 text-slate-700">Closed {formatDateTime(props.closedAt)}. The session is recorded as delivered.</p>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
        <div className="rounded-md bg-green-50 p-2 ring-1 ring-green-200">
          <dt className="text-sm text-slate-700">Present</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.present}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
          <dt className="text-sm text-slate-700">Absent</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.absent}</dd>
        </div>
        <div className="rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
          <dt className="text-sm text-slate-700">Feedback links</dt>
          <dd className="text-2xl font-bold text-slate-900">{props.feedbackRequests}</dd>
        </div>
      </dl>
      {props.headCount !== null ? <p className="mt-3 text-slate-800">Head count: {props.headCount}</p> : null}
      <p className="mt-4">
        <a href={`/trainer/sessions/${props.sessionId}/qr`} className={buttonClass("primary", "w-full sm:w-auto")}>
          Show the feedback QR code
        </a>
      </p>
      <p className="mt-2 text-sm text-slate-700">People without an email, or without a phone to hand, can give feedback by scanning it in the room.</p>
    </Card>
  );
}
