package com.example.shop.orders;

import java.time.Instant;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import static java.util.Objects.requireNonNull;
import static org.junit.Assert.*;

import com.example.shop.payments.PaymentGateway;
import com.example.shop.model.*;

public class OrderService {
    public static final int MAX_ITEMS = 100;
    private static final String defaultCurrency = "EUR";
    static final long retry_delay_ms = 500L;

    private final Map<String, Order> ordersById = new ConcurrentHashMap<>();
    private final PaymentGateway payment_gateway;
    private int OrderCount;

    public OrderService(PaymentGateway gateway) {
        this.payment_gateway = requireNonNull(gateway);
    }

    public Order placeOrder(String customerId, List<Item> items) {
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("too many items");
        }
        String order_id = UUID.randomUUID().toString();
        Order order = new Order(order_id, customerId, items, Instant.now());
        ordersById.put(order_id, order);
        OrderCount++;
        return order;
    }

    public Optional<Order> find_order(String id) {
        return Optional.ofNullable(ordersById.get(id));
    }

    public List<String> summaries(Function<Order, String> Describe) {
        List<String> lines = new ArrayList<>();
        for (Order order : ordersById.values()) {
            lines.add(Describe.apply(order));
        }
        return lines;
    }

    @Override
    public String toString() {
        return "OrderService(" + OrderCount + " orders, " + defaultCurrency + ")";
    }

    public boolean Charge(Order order) {
        int attemptCount = 0;
        while (attemptCount < 3) {
            if (payment_gateway.charge(order)) {
                return true;
            }
            attemptCount++;
        }
        return false;
    }

    static class order_summary {
        final String text;

        order_summary(String text) {
            this.text = text;
        }
    }

    interface Listener {
        void onPlaced(Order order);
    }

    enum Status { PLACED, PAID, shipped }
}
