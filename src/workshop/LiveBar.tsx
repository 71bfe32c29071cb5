/**
 * The bar a running workshop puts over the workspace (issue #11, point 2):
 * the current item, its prompt and the shared timer for everyone; the
 * facilitator's controls (timer, next item, end); each person's own choices
 * (stay where I am, follow the facilitator); and below it what the item asks
 * of the room: private cards, the vote, the decision.
 */
import { useId, useState } from 'react';
import type { InitiativeDoc } from '../schema/index.ts';
import { ACTIVITY_LABELS } from '../../machines/workshop/agenda.ts';
import { BOARD_LABELS } from '../../machines/entities.ts';
import { ConfirmButton } from '../people/ConfirmButton.tsx';
import { Link } from '../kit/Link.tsx';
import { workshopPath } from '../kit/router.ts';
import { useModel } from '../sync/useModel.ts';
import { Brainstorm } from './Brainstorm.tsx';
import { DecisionForm } from './DecisionForm.tsx';
import type { Follow } from './useFollow.ts';
import type { CommandSender } from './useCommand.ts';
import { TimerFace, useTimerPhase } from './useTimer.tsx';
import type { ReceivedView } from './useWorkshopFeed.ts';
import { Votes } from './Votes.tsx';
import './workshop.css';

export interface LiveBarProps {
  initiativeId: string;
  workshopId: string;
  /** The view as it arrived (the timer is computed from it). */
  received: ReceivedView;
  doc: InitiativeDoc;
  commands: CommandSender;
  /** May run the workshop (lead, facilitator, admin). */
  runs: boolean;
  /** May cast dots and add private cards (not observers). */
  takesPart: boolean;
  follow: Follow;
  stayPut: boolean;
  onStayPut(stay: boolean): void;
}

export function LiveBar(props: LiveBarProps) {
  const { initiativeId, workshopId, received, doc, commands, runs, takesPart, follow, stayPut, onStayPut } = props;
  const model = useModel(doc);
  // The bar re-renders when the timer starts, stops or runs out, never with each tick (TimerFace ticks alone).
  const timerPhase = useTimerPhase(received);
  const toolsId = useId();
  // The item's tools (cards, vote, decision) fold away, so a phone keeps room for the board.
  const [toolsShown, setToolsShown] = useState(() => !window.matchMedia('(max-width: 720px)').matches);
  const view = received.view;
  const timer = timerPhase;
  const current = view.current;
  if (!current) return null;
  const { index, item } = current;
  const total = view.agenda.length;
  const next = view.agenda[index + 1];
  const send = commands.send;
  const openVote = view.votes.some((v) => v.status === 'open');
  const fresh = !timer.running && view.timer.remainingMs === item.minutes * 60_000;

  return (
    <section className="live-bar" aria-label="Workshop in progress" data-item={index}>
      <div className="live-bar__main">
        <div className="live-bar__item">
          <p className="live-bar__where">
            <Link to={workshopPath(initiativeId, workshopId)} className="live-bar__title">
              {view.title}
            </Link>
            <span>
              Item {index + 1} of {total} · {ACTIVITY_LABELS[item.activity]}
              {item.board ? ` · ${BOARD_LABELS[item.board]}` : ''}
            </span>
          </p>
          <h2 className="live-bar__heading" data-testid="workshop-item">
            {item.title}
          </h2>
          {item.prompt && <p className="live-bar__prompt">{item.prompt}</p>}
        </div>
        <TimerFace received={received} />
        {runs && (
          <div className="live-bar__controls" role="group" aria-label="Run the workshop">
            {timer.running ? (
              <button type="button" className="button button--small" onClick={() => void send({ type: 'timer.pause' })}>
                Pause
              </button>
            ) : !timer.atZero ? (
              <button
                type="button"
                className="button button--primary button--small"
                onClick={() => void send({ type: 'timer.resume' })}
              >
                {fresh ? 'Start the timer' : 'Resume'}
              </button>
            ) : (
              <button
                type="button"
                className="button button--small"
                onClick={() => void send({ type: 'timer.start', seconds: item.minutes * 60 })}
              >
                Restart ({item.minutes} min)
              </button>
            )}
            <button
              type="button"
              className="button button--small"
              aria-label="Add a minute"
              onClick={() => void send({ type: 'timer.add', seconds: 60 })}
            >
              +1 min
            </button>
            {next ? (
              <button
                type="button"
                className="button button--primary button--small"
                title={`Next: ${next.title}`}
                onClick={() => void send({ type: 'agenda.next' })}
              >
                Next item
              </button>
            ) : null}
            <ConfirmButton
              title="End the workshop?"
              description="The current item ends, open votes close and the timer stops. The record is kept with the workshop."
              confirm="End the workshop"
              onConfirm={() => void send({ type: 'workshop.end' })}
            >
              End
            </ConfirmButton>
          </div>
        )}
        <div className="live-bar__me" role="group" aria-label="Your view">
          <label className="live-bar__toggle">
            <input type="checkbox" checked={stayPut} onChange={(e) => onStayPut(e.target.checked)} />
            Stay where I am
          </label>
          {runs ? (
            <button type="button" className="button button--ghost button--small" onClick={follow.summon}>
              Bring everyone to my view
            </button>
          ) : follow.following ? (
            <button type="button" className="button button--small" aria-pressed="true" onClick={follow.unfollow}>
              Following {follow.following} · Stop
            </button>
          ) : (
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={!follow.leader}
              title={follow.leader ? undefined : 'Nobody running the workshop is on a board yet.'}
              onClick={follow.follow}
            >
              {follow.leader ? `Follow ${follow.leader}` : 'Follow the facilitator'}
            </button>
          )}
        </div>
        <button
          type="button"
          className="button button--ghost button--small live-bar__fold"
          aria-expanded={toolsShown}
          aria-controls={toolsId}
          onClick={() => setToolsShown(!toolsShown)}
        >
          {toolsShown ? 'Hide tools' : `Show tools${openVote ? ' (a vote is open)' : ''}`}
        </button>
      </div>
      {(commands.problem || follow.stopped) && (
        <p
          className={commands.problem ? 'live-bar__problem' : 'live-bar__status'}
          role={commands.problem ? 'alert' : 'status'}
        >
          {commands.problem ?? follow.stopped}
          {commands.problem && (
            <button type="button" className="button button--ghost button--small" onClick={commands.clear}>
              Dismiss
            </button>
          )}
        </p>
      )}
      <div className="live-bar__tools" id={toolsId} hidden={!toolsShown}>
        {item.activity === 'brainstorm' || view.privateHeld > 0 ? (
          <Brainstorm view={view} item={item} runs={runs} takesPart={takesPart} send={send} busy={commands.busy} />
        ) : null}
        {(runs || view.votes.length > 0) && (
          <Votes
            view={view}
            model={model}
            board={item.board}
            runs={runs}
            takesPart={takesPart}
            send={send}
            busy={commands.busy}
          />
        )}
        {runs && item.activity === 'decide' && (
          <DecisionForm view={view} item={item} send={send} busy={commands.busy} />
        )}
      </div>
    </section>
  );
}
