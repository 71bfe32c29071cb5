/**
 * The shared timer as this browser shows it: the time left from the last view
 * and the offset to the server's clock at its arrival (`clientRemaining`),
 * recomputed while it runs, re-synced on every view. At zero: a soft chime
 * (when this page saw it run down) and a visual cue.
 */
import { useEffect, useRef, useState } from 'react';
import { clientRemaining } from '../../machines/workshop/timer.ts';
import { countdown } from './format.ts';
import type { ReceivedView } from './useWorkshopFeed.ts';

const TICK_MS = 50;

export interface TimerReading {
  remainingMs: number;
  /** When it was computed, ms since the epoch by this computer's monotonic clock (not `Date`, which can be set wrong). */
  readAt: number;
  running: boolean;
  /** The timer is at zero (a new item's timer starts paused at the item's length, never at zero). */
  atZero: boolean;
}

export function useTimer(received: ReceivedView | null): TimerReading {
  const [{ remainingMs, readAt }, setRemaining] = useState(() => {
    const now = performance.now();
    return { remainingMs: received ? clientRemaining(received.view, received.receivedAt, now) : 0, readAt: now };
  });
  const lastLeft = useRef<number | null>(null);

  useEffect(() => {
    if (!received) return;
    const tick = () => {
      const now = performance.now();
      const left = clientRemaining(received.view, received.receivedAt, now);
      if (left === 0 && lastLeft.current !== null && lastLeft.current > 0) chime();
      lastLeft.current = left;
      setRemaining({ remainingMs: left, readAt: now });
      return left;
    };
    const left = tick();
    if (!received.view.timer.running || left === 0) return;
    const interval = setInterval(() => {
      if (tick() === 0) clearInterval(interval);
    }, TICK_MS);
    return () => clearInterval(interval);
  }, [received]);

  const running = !!received?.view.timer.running && remainingMs > 0;
  return {
    remainingMs,
    readAt: performance.timeOrigin + readAt,
    running,
    atZero: !!received?.view.current && remainingMs === 0,
  };
}

/** The timer's face: the only part of the page that re-renders as the time runs. */
export function TimerFace({ received }: { received: ReceivedView }) {
  const { remainingMs: left, readAt, running, atZero } = useTimer(received);
  return (
    <div
      className={`live-bar__timer${atZero ? ' live-bar__timer--zero' : ''}${running ? ' live-bar__timer--running' : ''}`}
      role="timer"
      aria-label={atZero ? 'Time is up' : `Time left: ${countdown(left)}${running ? '' : ', paused'}`}
      data-testid="workshop-timer"
      data-remaining-ms={Math.round(left)}
      data-read-at={Math.round(readAt)}
      data-running={running}
    >
      <span className="live-bar__clock">{countdown(left)}</span>
      <span className="live-bar__timer-state">{atZero ? 'Time is up' : running ? 'left' : 'paused'}</span>
    </div>
  );
}

/**
 * Whether the timer runs or is at zero, changing only when that changes: a
 * running timer is marked run out by one timeout at its end, not by ticks.
 */
export function useTimerPhase(received: ReceivedView): { running: boolean; atZero: boolean } {
  const [ranOut, setRanOut] = useState<ReceivedView | null>(null);
  useEffect(() => {
    if (!received.view.timer.running) return;
    const left = clientRemaining(received.view, received.receivedAt, performance.now());
    const timeout = setTimeout(() => setRanOut(received), left);
    return () => clearTimeout(timeout);
  }, [received]);
  const { timer, current } = received.view;
  const out = ranOut === received;
  return {
    running: timer.running && !out,
    atZero: current !== null && (out || (!timer.running && timer.remainingMs === 0)),
  };
}

let audio: AudioContext | null = null;

/** Two soft notes, half a second in all: enough to hear across a room, not to startle it. */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, frequency] of [660, 880].entries()) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      const at = start + i * 0.22;
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.12, at + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.32);
    }
  } catch {
    // No audio here (or not allowed yet): the visual cue still shows.
  }
}
