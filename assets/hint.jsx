// A hint bubble for cabinet/components/hint.py. It lives in the browser alone: a round trip to the
// server on every hover would lag, and a touch screen has no hover at all, so a tap opens it too.
import { useEffect, useRef, useState } from "react";
import { Popover, Text } from "@radix-ui/themes";

// How long a bubble opened by the mouse waits before closing, so the pointer can cross to it.
const LEAVE_DELAY_MS = 150;

export function Hint({ children, text, textId }) {
  // "" (closed), "hover", "focus" (keyboard) or "pinned" (tapped or clicked: stays until dismissed).
  const [how, setHow] = useState("");
  const leaving = useRef(null);
  const stay = () => clearTimeout(leaving.current);
  useEffect(() => stay, []);

  const leave = (event) => {
    if (event.pointerType !== "mouse") return;
    stay();
    leaving.current = setTimeout(() => setHow((now) => (now === "hover" ? "" : now)), LEAVE_DELAY_MS);
  };
  const enter = (event) => {
    if (event.pointerType !== "mouse") return; // a finger's emulated hover would fight the tap's toggle
    stay();
    setHow((now) => now || "hover");
  };
  const triggerProps = {
    onPointerEnter: enter,
    onPointerLeave: leave,
    // A tap focuses the button too, but only keyboard focus is :focus-visible.
    onFocus: (event) => event.currentTarget.matches(":focus-visible") && setHow((now) => now || "focus"),
    onBlur: () => setHow((now) => (now === "hover" ? now : "")),
    onClick: (event) => {
      event.preventDefault(); // the toggle is ours: Radix's own would close a bubble the mouse just opened
      setHow((now) => (now === "pinned" || now === "focus" ? "" : "pinned"));
    },
    "aria-describedby": how ? textId : undefined,
    "aria-controls": textId,
  };
  return (
    <Popover.Root open={how !== ""} onOpenChange={(open) => open || setHow("")}>
      <Popover.Trigger {...triggerProps}>{children}</Popover.Trigger>
      <Popover.Content
        id={textId}
        role="tooltip"
        size="1"
        maxWidth="min(320px, calc(100vw - 16px))"
        collisionPadding={8}
        onPointerEnter={enter}
        onPointerLeave={leave}
        // A hint is read, not worked in: focus stays where the resident is.
        onOpenAutoFocus={(event) => event.preventDefault()}
        onCloseAutoFocus={(event) => event.preventDefault()}
      >
        <Text as="p" size="2">
          {text}
        </Text>
      </Popover.Content>
    </Popover.Root>
  );
}
